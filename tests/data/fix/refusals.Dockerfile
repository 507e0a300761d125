FROM debian:12
ARG PKG=apt-get
RUN read -r pkg <<< "$EXTRA"; apt-get install -y "$pkg"
RUN $PKG install -y curl
RUN $SUDO apk add jq
RUN sh -c 'apt-get install -y git'
RUN apt-get update && apt-get install -y --no-install-recommends make
RUN apt-get install -y --no-install-recommends gcc
