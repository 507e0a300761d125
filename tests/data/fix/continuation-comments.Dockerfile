FROM debian:12
RUN apt-get update \
    # the tools
    && apt-get install -y git \
    # and the compiler
    && apt-get install -y gcc \
    && rm -rf /var/lib/apt/lists/*
