# syntax=docker/dockerfile:1
# Build a static orderbot binary, then ship it alone on a minimal base that
# has CA certificates and tzdata and runs as a non-root user.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/orderbot ./cmd/orderbot

# distroless/static: no shell, no package manager; /usr/share/zoneinfo and
# /etc/ssl/certs included; user 65532 (nonroot).
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/orderbot /usr/local/bin/orderbot
USER nonroot:nonroot
# :8081 inside the container; docker-compose.yml publishes it on the host's
# 127.0.0.1 only. Catalog files come in on stdin (catalog import -) or from a
# mounted folder: there is no shell to copy them with.
ENV HTTP_ADDR=:8081 LOG_FORMAT=json
EXPOSE 8081
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
	CMD ["/usr/local/bin/orderbot", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/orderbot"]
CMD ["run"]
