FROM debian:bookworm-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN <<EOF
set -eux
apt-get update
apt-get install -y --no-install-recommends ca-certificates
rm -rf /var/lib/apt/lists/*
EOF
COPY <<-"CONF" /etc/app.conf
	listen = 8080
	CONF
ENV APP_HOME=/srv/app LANG="C.UTF-8"
ENV LEGACY_FORM value with spaces
HEALTHCHECK --interval=30s --timeout=3s CMD curl -f http://localhost:8080/ || exit 1
CMD python3 -m http.server 8080
