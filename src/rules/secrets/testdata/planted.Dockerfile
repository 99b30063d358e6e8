FROM alpine:3.20
ARG NPM_TOKEN=PlantedSecretValue-0008
ENV DB_PASSWORD=PlantedSecretValue-0009 UPLOAD=AKIAPLANTEDSECRET010
ADD https://user:PlantedSecretValue-0011@downloads.example.com/tool.tgz?sig=PlantedSecretValue-0012 /opt/
