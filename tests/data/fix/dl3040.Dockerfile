FROM registry.access.redhat.com/ubi9/ubi:9.3
RUN dnf install -y httpd && \
    dnf module enable -y nodejs:20
RUN microdnf install -y jq
