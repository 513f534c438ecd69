/** Config snippets the products use as-is: WSO2 deployment.toml, Zowe zowe-certificates.env, Liberty server.xml. */
package dev.keystore.operator.config;
