# The zmq-bench image, for `zmq-bench k8s render` (docs/distributed.md, "Kubernetes") and for
# agents on any host:  docker build -t zmq-bench:0.1.0 .
# The tag k8s render uses by default is zmq-bench:<version of package.json>.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# Dependencies first, a layer of their own. --ignore-scripts skips this package's `prepare` (a
# build, which needs the sources); npm rebuild then runs the dependencies' install scripts, which
# find the binaries their packages ship (zeromq's libzmq addon, koffi, esbuild).
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts && npm rebuild
COPY tsconfig.json tsconfig.browser.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
# iproute2: `ss` reads the kernel's byte counters of tcp connections (wire bytes in result.json)
RUN apt-get update \
  && apt-get install -y --no-install-recommends iproute2 \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY scenarios ./scenarios
# `zmq-bench` on PATH for the coordinator's shell; the entrypoint for everything else
RUN chmod +x dist/src/cli.js && ln -s /app/dist/src/cli.js /usr/local/bin/zmq-bench
# uid 1000, as the rendered pods' securityContext says
USER node
ENTRYPOINT ["node", "dist/src/cli.js"]
CMD ["--help"]
