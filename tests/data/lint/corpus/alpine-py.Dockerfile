FROM python:3.11-alpine
RUN apk add --no-cache --virtual .build-deps gcc musl-dev libffi-dev \
 && pip install --no-cache-dir cryptography==42.0.5 numpy \
 && apk del .build-deps
RUN apk add postgresql-libs
COPY <<EOF /etc/app.conf
listen = 0.0.0.0:8080
EOF
RUN <<EOT
set -eux
pip install --no-cache-dir gunicorn
EOT
CMD ["gunicorn", "app:app"]
