# Build stage: the Maven wrapper builds relais.jar (tests run in CI, not in the image build).
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
# Maven reads every module the root pom lists, even when it builds only the hub (-pl hub -am)
COPY client/pom.xml client/
COPY hub/pom.xml hub/
COPY loadtest/pom.xml loadtest/
RUN ./mvnw -B -q -pl hub -am dependency:go-offline
COPY conf/ conf/
COPY hub/src/ hub/src/
RUN ./mvnw -B -q -pl hub -am -DskipTests package

# Run stage: a JRE and the jar, as an unprivileged user.
FROM eclipse-temurin:17-jre
RUN groupadd --system relais && useradd --system --gid relais --home-dir /app --shell /usr/sbin/nologin relais
WORKDIR /app
COPY --from=build /src/hub/target/relais.jar /app/relais.jar
COPY conf/relais.yaml /app/conf/relais.yaml
RUN mkdir -p /app/data && chown -R relais:relais /app/data
USER relais
EXPOSE 8080
VOLUME ["/app/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ' 200 ' <&3"]
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED", "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED", "-jar", "/app/relais.jar"]
CMD ["serve"]
