# Antler's production image, made from the dist archive (./antler dist): the build stage compiles with Maven
# and links a Java runtime with jlink; the image holds only that archive on a small glibc base (no JDK, no Maven)
# and runs as an unprivileged user.
#   docker build -t antler:0.1.0 .
#   docker run -p 3000:3000 -v antler-data:/var/lib/antler antler:0.1.0
# docker-compose.yml runs two instances on PostgreSQL with the config mounted.

FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY pom.xml antler README.md LICENSE ./
COPY src ./src
COPY bench ./bench
COPY packaging ./packaging
RUN ./antler dist && mv target/dist/antler-* /opt/antler

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/antler --create-home --shell /usr/sbin/nologin antler
COPY --from=build /opt/antler /opt/antler
USER antler
# The working directory holds the embedded SQLite store (./data/) and the SQLite driver's native library cache.
WORKDIR /var/lib/antler
VOLUME /var/lib/antler
EXPOSE 3000
# Ready: the store is reachable and the gateway not draining (503 while it stops, so traffic moves away).
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["/opt/antler/bin/antler", "health"]
ENTRYPOINT ["/opt/antler/bin/antler"]
CMD ["serve"]
