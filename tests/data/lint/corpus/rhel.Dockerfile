FROM registry.access.redhat.com/ubi9/ubi:9.3
RUN dnf install -y httpd mod_ssl && dnf clean all
RUN yum install -y procps-ng
RUN microdnf install -y jq || true
COPY --from=ghcr.io/example/assets:1.0 / /srv/assets
EXPOSE 443
CMD ["httpd", "-DFOREGROUND"]
