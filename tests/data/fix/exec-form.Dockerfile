FROM debian:12
RUN ["apt-get", "update"]
RUN ["/bin/sh", "-c", "apt-get install -y curl"]
RUN ["pip", "install", "flask"]
