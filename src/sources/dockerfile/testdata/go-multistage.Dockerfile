# syntax=docker/dockerfile:1.7
# check=error=true

ARG GO_VERSION=1.22
ARG BASE=gcr.io/distroless/static-debian12:nonroot

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine AS build
WORKDIR /src
# download modules first for caching
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=linux \
    # comment lines inside a continuation are dropped
    go build -trimpath -ldflags="-s -w" \

    -o /out/app ./cmd/app

FROM ${BASE}
COPY --from=build --chown=65532:65532 /out/app /app
USER 65532:65532
ENTRYPOINT ["/app"]
