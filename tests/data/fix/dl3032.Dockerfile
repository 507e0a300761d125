FROM centos:7
RUN yum install -y httpd mod_ssl
EXPOSE 443
