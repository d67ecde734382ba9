#!/usr/bin/env bash
# The capture server's TLS, so that telemetry is measured as users pay for it (Azure's ingestion
# endpoint is HTTPS): a self-signed RSA certificate for 127.0.0.1 in DIR/capture.p12 (the capture
# server's key store), the same certificate in DIR/trust.p12 (the scorer JVM's trust store) and
# DIR/capture.pem (Python's: REQUESTS_CA_BUNDLE). Every store's password is "changeit".
#   bench/ingestion-tls.sh DIR
source "$(dirname "$0")/../local-cluster/lib/strict.sh"
dir=${1:?usage: bench/ingestion-tls.sh DIR}
mkdir -p "$dir"
rm -f "$dir/capture.p12" "$dir/trust.p12" "$dir/capture.pem"
keytool -genkeypair -alias capture -keyalg RSA -keysize 2048 -dname CN=127.0.0.1 -ext san=ip:127.0.0.1 \
  -validity 2 -storetype PKCS12 -keystore "$dir/capture.p12" -storepass changeit 2> /dev/null
keytool -exportcert -rfc -alias capture -keystore "$dir/capture.p12" -storepass changeit > "$dir/capture.pem" 2> /dev/null
keytool -importcert -noprompt -alias capture -file "$dir/capture.pem" -storetype PKCS12 \
  -keystore "$dir/trust.p12" -storepass changeit > /dev/null 2>&1
