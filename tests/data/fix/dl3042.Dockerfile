FROM python:3.12-slim
COPY requirements.txt .
RUN pip install -r requirements.txt
RUN python3 -m pip install --user gunicorn==22.0.0
