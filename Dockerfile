# One image for both roles of the distributed mode: `npm start` (web) and `npm run worker`.
# See docker-compose.yml and the README's "Distributed mode".
FROM node:22-bookworm-slim
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
# Inside the container the web instance listens on every interface; compose publishes only the proxy.
ENV HOST=0.0.0.0 PORT=3000
EXPOSE 3000
CMD ["npm", "start"]
