package dev.storefront.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * gateway: the single browser entry point (8080, actuator on 8180). Routes {@code /api/v1/...} to the
 * services' REST APIs, answers CORS, limits request rates per client and passes request ids on.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }

}
