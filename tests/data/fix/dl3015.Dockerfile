FROM debian:12
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get -q install -y \
        python3 \
        python3-venv \
    && rm -rf /var/lib/apt/lists/*
