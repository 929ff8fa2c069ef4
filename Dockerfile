# Sira: production image. Build: docker build -t sira .   Run: see compose.yaml and docs/operations.md.

# ---- build: all dependencies, compile TypeScript to dist/ (entry dist/src/main.js) ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies, compiled code and what the service reads at run time ----
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# ffmpeg/ffprobe: recordings uploaded on /staff/recordings are checked and converted in the web process.
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# FLOWS_DIR and LOCALES_DIR default to ./flows and ./locales (relative to /app); the SQL migrations are
# found by walking up from dist/src/db to drizzle/meta/_journal.json and applied at start.
COPY flows ./flows
COPY locales ./locales
COPY drizzle ./drizzle
# DATA_DIR (./data) is only written when DATABASE_URL or REDIS_URL is unset (embedded PGlite, data-dir lock,
# development keys); it belongs to the unprivileged user so that case works too.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself, not npm: SIGTERM reaches the service, which drains within SHUTDOWN_TIMEOUT_MS.
CMD ["node", "dist/src/main.js"]
