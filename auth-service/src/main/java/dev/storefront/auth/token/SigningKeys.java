package dev.storefront.auth.token;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import dev.storefront.auth.AuthProperties;
import dev.storefront.errors.PlatformEnvironment;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The RSA keys of token signing: the current private key ({@code JWT_SIGNING_KEY}, PEM PKCS#8), and the
 * public keys published in the JWKS, the current one first, then those of earlier signing keys
 * ({@code JWT_PREVIOUS_PUBLIC_KEYS}) so tokens signed before a rotation verify until they expire. Key ids
 * are RFC 7638 thumbprints. Without a configured key, development gets a generated one (tokens do not
 * survive a restart) and production refuses to start. Key material never appears in a message.
 */
@Component
public class SigningKeys {

    static final int MIN_KEY_BITS = 2048;

    private static final Logger logger = LoggerFactory.getLogger(SigningKeys.class);

    private static final Pattern PEM = Pattern
        .compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+?)-----END \\1-----");

    private final RSAKey signingKey;

    private final JWKSet publicKeys;

    public SigningKeys(AuthProperties properties, PlatformEnvironment environment) {
        this.signingKey = signingKey(properties.signingKey(), environment);
        List<JWK> published = new ArrayList<>();
        published.add(this.signingKey.toPublicJWK());
        for (RSAKey previous : previousKeys(properties.previousPublicKeys())) {
            if (!previous.getKeyID().equals(this.signingKey.getKeyID())) {
                published.add(previous);
            }
        }
        this.publicKeys = new JWKSet(published);
    }

    /** The key that signs new tokens, private part included. */
    RSAKey signingKey() {
        return this.signingKey;
    }

    /** The public keys that verify tokens of this service: current first, then previous ones. */
    public JWKSet publicKeys() {
        return this.publicKeys;
    }

    private static RSAKey signingKey(@Nullable String pem, PlatformEnvironment environment) {
        if (pem == null || pem.isBlank()) {
            if (environment.isProduction()) {
                throw new IllegalStateException("JWT_SIGNING_KEY is not set: production needs a PEM PKCS#8 RSA "
                        + "private key (environment or /etc/secrets/JWT_SIGNING_KEY)");
            }
            logger.warn("JWT_SIGNING_KEY is not set: signing tokens with a key generated at start-up. "
                    + "Tokens will not verify after a restart or on another instance. Development only.");
            return jwk(generate());
        }
        List<Block> blocks = pemBlocks(pem, "JWT_SIGNING_KEY");
        if (blocks.size() != 1 || !blocks.get(0).type().equals("PRIVATE KEY")) {
            throw new IllegalStateException("JWT_SIGNING_KEY must hold exactly one PEM PKCS#8 private key "
                    + "(-----BEGIN PRIVATE KEY-----)");
        }
        PrivateKey key;
        try {
            key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(blocks.get(0).der()));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("JWT_SIGNING_KEY is not a readable PKCS#8 RSA private key");
        }
        if (!(key instanceof RSAPrivateCrtKey crt)) {
            throw new IllegalStateException("JWT_SIGNING_KEY must be an RSA private key with its CRT parameters");
        }
        RSAPublicKey publicKey = publicKey(crt.getModulus(), crt.getPublicExponent());
        checkSize(publicKey, "JWT_SIGNING_KEY");
        return jwk(new KeyPair(publicKey, crt));
    }

    private static List<RSAKey> previousKeys(@Nullable String pem) {
        if (pem == null || pem.isBlank()) {
            return List.of();
        }
        List<RSAKey> keys = new ArrayList<>();
        for (Block block : pemBlocks(pem, "JWT_PREVIOUS_PUBLIC_KEYS")) {
            if (!block.type().equals("PUBLIC KEY")) {
                throw new IllegalStateException("JWT_PREVIOUS_PUBLIC_KEYS must hold only PEM public keys "
                        + "(-----BEGIN PUBLIC KEY-----)");
            }
            try {
                if (!(KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(block.der())) instanceof RSAPublicKey key)) {
                    throw new IllegalStateException("JWT_PREVIOUS_PUBLIC_KEYS holds a key that is not RSA");
                }
                keys.add(publicJwk(key));
            }
            catch (GeneralSecurityException ex) {
                throw new IllegalStateException("JWT_PREVIOUS_PUBLIC_KEYS holds an unreadable RSA public key");
            }
        }
        return keys;
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(MIN_KEY_BITS);
            return generator.generateKeyPair();
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("Cannot generate an RSA key", ex);
        }
    }

    private static RSAKey jwk(KeyPair pair) {
        try {
            return new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey(pair.getPrivate())
                .keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.RS256)
                .keyIDFromThumbprint()
                .build();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException("Cannot compute the key id of the signing key", ex);
        }
    }

    private static RSAKey publicJwk(RSAPublicKey key) {
        checkSize(key, "JWT_PREVIOUS_PUBLIC_KEYS");
        try {
            return new RSAKey.Builder(key).keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.RS256)
                .keyIDFromThumbprint()
                .build();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException("Cannot compute the key id of a previous public key", ex);
        }
    }

    private static RSAPublicKey publicKey(BigInteger modulus, BigInteger exponent) {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("Cannot derive the public key of JWT_SIGNING_KEY");
        }
    }

    private static void checkSize(RSAPublicKey key, String variable) {
        if (key.getModulus().bitLength() < MIN_KEY_BITS) {
            throw new IllegalStateException(variable + " holds an RSA key shorter than " + MIN_KEY_BITS + " bits");
        }
    }

    private static List<Block> pemBlocks(String pem, String variable) {
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = PEM.matcher(pem);
        while (matcher.find()) {
            try {
                blocks.add(new Block(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2))));
            }
            catch (IllegalArgumentException ex) {
                throw new IllegalStateException(variable + " holds a PEM block that is not valid Base64");
            }
        }
        if (blocks.isEmpty()) {
            throw new IllegalStateException(variable + " holds no PEM block (-----BEGIN ...-----)");
        }
        return blocks;
    }

    private record Block(String type, byte[] der) {
    }

}
