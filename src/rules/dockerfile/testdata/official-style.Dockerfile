#
# Written in the style of the official language images: one RUN builds from source and removes its
# build dependencies again; comments and bare "\" lines sit inside the continuation.
#

FROM debian:bookworm-slim

ENV PATH /usr/local/bin:$PATH
ENV LANG C.UTF-8

RUN set -eux; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates netbase tzdata; \
	rm -rf /var/lib/apt/lists/*

ENV GPG_KEY 7169605F62C751356D054A26A821E680E5FA6305
ENV TOOL_VERSION 3.12.4
ENV TOOL_SHA256 24887e92e2afb4f2d2a0e7b5f0ef5d4b9e4b0c7a1e6d2e7e8c0e5a9b3f1d2c4e

RUN set -eux; \
	\
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends gcc libc6-dev make wget xz-utils; \
	\
	wget -O tool.tar.xz "https://downloads.example.org/tool/${TOOL_VERSION}/tool-$TOOL_VERSION.tar.xz"; \
	echo "$TOOL_SHA256 *tool.tar.xz" | sha256sum -c -; \
	mkdir -p /usr/src/tool; \
	tar --extract --directory /usr/src/tool --strip-components=1 --file tool.tar.xz; \
	rm tool.tar.xz; \
# configure flags differ per architecture
	cd /usr/src/tool; \
		case "$(dpkg --print-architecture)" in \
			amd64|arm64) \
				# frame pointers help profilers
				EXTRA_CFLAGS="-fno-omit-frame-pointer"; \
				;; \
			*) EXTRA_CFLAGS=""; ;; \
		esac; \
	./configure --enable-shared; \
	make -j "$(nproc)" "EXTRA_CFLAGS=${EXTRA_CFLAGS:-}"; \
	make install; \
	cd /; rm -rf /usr/src/tool; \
	\
	apt-mark auto '.*' > /dev/null; \
	apt-mark manual $savedAptMark; \
	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false; \
	rm -rf /var/lib/apt/lists/*; \
	tool --version

CMD ["tool"]
