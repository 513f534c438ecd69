#!/usr/bin/env bash
# The seeds' manual flow with keytool, for the same set as examples/wso2-apim.yaml: an RSA-3072 CA,
# then per slot (primary, tls, internal) an RSA-2048 key pair, a CSR, a certificate signed by the
# CA, and the CA and the signed certificate imported into the slot's JKS (a full chain), then the
# CA into client-truststore.jks. The password comes from $STOREPASS, never the command line.
# Usage: STOREPASS=... bench/keytool-flow.sh <empty output directory>
set -euo pipefail
out=$1
mkdir -p "$out"
cd "$out"
: "${STOREPASS:?set STOREPASS}"
export STOREPASS
pw=(-storepass:env STOREPASS)
kpw=(-keypass:env STOREPASS)

keytool -genkeypair -alias ca -dname "CN=apim CA, O=Example" -keyalg RSA -keysize 3072 -sigalg SHA384withRSA \
  -ext bc:c -ext ku:c=keyCertSign,cRLSign -validity 3650 -keystore ca.jks -storetype JKS "${pw[@]}" "${kpw[@]}" 2>/dev/null
keytool -exportcert -rfc -alias ca -keystore ca.jks "${pw[@]}" -file ca.crt 2>/dev/null

slot() { # slot <file> <dname> [extensions...]
  local file=$1 dname=$2
  shift 2
  keytool -genkeypair -alias wso2carbon -dname "$dname" -keyalg RSA -keysize 2048 -validity 365 \
    -keystore "$file" -storetype JKS "${pw[@]}" "${kpw[@]}" 2>/dev/null
  keytool -certreq -alias wso2carbon -keystore "$file" "${pw[@]}" "${kpw[@]}" -file "$file.csr" 2>/dev/null
  keytool -gencert -alias ca -keystore ca.jks "${pw[@]}" "${kpw[@]}" -infile "$file.csr" -outfile "$file.crt" -rfc \
    -validity 365 -sigalg SHA384withRSA "$@" 2>/dev/null
  keytool -importcert -noprompt -alias ca -file ca.crt -keystore "$file" "${pw[@]}" 2>/dev/null
  keytool -importcert -alias wso2carbon -file "$file.crt" -keystore "$file" "${pw[@]}" "${kpw[@]}" 2>/dev/null
}
slot wso2carbon.jks "CN=apim.example.com, O=Example, C=US" -ext ku:c=digitalSignature,keyEncipherment
slot tls_keystore.jks "CN=apim.example.com" -ext ku:c=digitalSignature,keyEncipherment \
  -ext eku=serverAuth,clientAuth -ext san=dns:apim.example.com,dns:apim.wso2.svc,dns:apim.wso2.svc.cluster.local
slot internal_keystore.jks "CN=apim internal" -ext ku:c=digitalSignature,keyEncipherment,dataEncipherment
keytool -importcert -noprompt -alias apim-ca -file ca.crt -keystore client-truststore.jks -storetype JKS "${pw[@]}" 2>/dev/null
