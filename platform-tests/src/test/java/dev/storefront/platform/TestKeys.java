package dev.storefront.platform;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;

/** Key material the platform tests hand to auth-service as its Secrets. */
final class TestKeys {

    private TestKeys() {
    }

    /** A fresh RSA private key in PEM (PKCS#8), as JWT_SIGNING_KEY takes it. */
    static String rsaPrivateKeyPem() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        byte[] der = generator.generateKeyPair().getPrivate().getEncoded();
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END PRIVATE KEY-----\n";
    }

}
