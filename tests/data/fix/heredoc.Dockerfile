# syntax=docker/dockerfile:1
FROM debian:12
RUN <<EOF
set -eux
apt-get update
apt-get install -y curl
EOF
COPY <<EOF /etc/app.conf
apt-get install -y stays-as-text
EOF
RUN python3 <<EOF
print("not shell")
EOF
