FROM alpine:3.20
RUN apk add --virtual .build-deps gcc musl-dev \
 && apk add libffi
RUN apk add --no-cache tini
ENTRYPOINT ["/sbin/tini", "--"]
