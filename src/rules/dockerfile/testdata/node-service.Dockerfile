# A typical Node.js service Dockerfile with the usual shortcuts.
FROM node:20
ARG NPM_TOKEN
ENV NODE_ENV=production
WORKDIR /usr/src/app
RUN apt-get update && apt-get install -y python3 make g++
RUN curl -sL https://deb.nodesource.com/setup_20.x | bash -
COPY package*.json ./
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc \
    && npm ci \
    && rm -f .npmrc
COPY . .
EXPOSE 3000
CMD ["node", "server.js"]
