# The web image: daphne serving HTTP and WebSockets on port 8000.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
COPY requirements.txt requirements-s3.txt ./
RUN pip install -r requirements.txt -r requirements-s3.txt

COPY . .
# Static files are collected at build time and served by WhiteNoise.
RUN DEBUG=False SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
    && useradd --create-home --uid 10001 cop \
    && mkdir -p /app/var/media && chown -R cop /app/var

USER cop
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py serve --bind 0.0.0.0 --port 8000 --proxy-headers"]
