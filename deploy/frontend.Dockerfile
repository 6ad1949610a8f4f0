# syntax=docker/dockerfile:1
# The frontend image: node builds the Vue UI, nginx serves it and proxies /api to the backend.
# Build from the repository root: docker build -f deploy/frontend.Dockerfile .

FROM node:20-alpine AS ui
WORKDIR /src/ui
COPY ui/package.json ui/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY ui/ ./
# vite writes the build into ../src/xiaodazi/web/dist (the Python package's folder)
RUN npm run build

FROM nginx:1.27-alpine
# Filled into the template by the image's entrypoint (envsubst) when the container starts.
ENV XIAODAZI_BACKEND=backend:8000 \
    XIAODAZI_UI_ROOT=/usr/share/nginx/html
RUN rm -f /etc/nginx/conf.d/default.conf
COPY deploy/nginx.conf /etc/nginx/templates/default.conf.template
COPY --from=ui /src/src/xiaodazi/web/dist /usr/share/nginx/html
EXPOSE 80
# nginx itself is healthy when it serves the UI; the backend has its own healthcheck.
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
    CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1/"]
