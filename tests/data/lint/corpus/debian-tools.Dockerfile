FROM debian:bookworm
LABEL maintainer="ops@example.com" \
      org.opencontainers.image.source="https://example.com/repo"
RUN apt-get update
RUN apt-get install -y curl ca-certificates gnupg git make gcc
ADD https://example.com/releases/tool-2.4.1-linux-amd64.tar.gz /tmp/
RUN tar -xzf /tmp/tool-2.4.1-linux-amd64.tar.gz -C /usr/local/bin && rm /tmp/tool-2.4.1-linux-amd64.tar.gz
RUN rm -rf /var/lib/apt/lists/*
RUN useradd -u 1234567 builder
RUN for f in /etc/profile.d/*.sh; do . "$f"; done
COPY entrypoint.sh /usr/local/bin/
ENTRYPOINT ["entrypoint.sh"]
