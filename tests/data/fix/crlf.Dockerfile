FROM alpine:3.20
# CRLF line endings stay CRLF
RUN apk update
RUN apk add curl \
    jq
