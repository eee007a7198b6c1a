# The production image, in two stages. Nothing compiled is committed: the assets are built
# here and collected into the static manifest the production settings need (without it every
# page was a 500).

# 1. The front-end assets: GOV.UK Frontend compiled with Sass into build/static.
FROM node:22-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel error
COPY assets ./assets
RUN npm run build

# 2. The application: dependencies (gunicorn pinned), the code, and the collected assets.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VAR_DIR=/app/var
WORKDIR /app
# Pango, for the PDFs WeasyPrint makes (the outcome record and the chronology).
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md requirements.lock ./
COPY config ./config
COPY concerns ./concerns
COPY notifications ./notifications
RUN pip install --no-cache-dir -c requirements.lock ".[production]"
COPY manage.py ./
COPY templates ./templates
COPY --from=assets /app/build/static ./build/static
# collectstatic needs the production settings' shape, not their secrets: throwaway values.
RUN DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=collectstatic-only \
    ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:///:memory: SITE_URL=https://localhost \
    AUDIT_KEYS=collectstatic:collectstatic-only-not-a-secret-0123456789 \
    python manage.py collectstatic --noinput --verbosity 0
RUN useradd --create-home app && mkdir -p /app/audit && chown -R app /app/var /app/audit
USER app
ENV DJANGO_SETTINGS_MODULE=config.settings.production
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
