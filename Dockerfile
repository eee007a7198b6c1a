FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY config ./config
COPY concerns ./concerns
COPY notifications ./notifications
RUN pip install --no-cache-dir . gunicorn
COPY . .
RUN useradd --create-home app && mkdir -p /app/var && chown app /app/var
USER app
