# Build and run the service; used by docker-compose.yml (app, projector, relay, db-setup) on machines with a Docker engine.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY libs ./libs
COPY bench ./bench
COPY web ./web
RUN npm run build && npm prune --omit=dev

FROM node:20-slim
WORKDIR /app
# DATA_DIR: where the first coordinator's password is written (bootstrap-password). Created here, owned by
# the unprivileged user, so that a named volume mounted on it starts with that owner and stays writable.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/var/lib/referrals
RUN mkdir -p /var/lib/referrals && chown node:node /var/lib/referrals && chmod 700 /var/lib/referrals
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY deploy/healthcheck.mjs ./deploy/healthcheck.mjs
USER node
EXPOSE 3000
CMD ["node", "dist/src/main.js"]
