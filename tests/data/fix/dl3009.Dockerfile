FROM debian:12
# update and install in one RUN, lists left behind
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl
CMD ["curl", "--version"]
