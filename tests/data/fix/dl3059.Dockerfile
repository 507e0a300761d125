FROM debian:12-slim
RUN useradd --system app
# a comment between the RUNs stays

RUN mkdir -p /srv/app
RUN chown app /srv/app
USER app
RUN cd /srv/app
RUN touch state
