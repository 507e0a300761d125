FROM golang:1.22-bookworm
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/server ./cmd/server
RUN rm -rf /root/.cache/go-build
RUN go vet ./...
ENV CGO_ENABLED=0
RUN go clean -cache
