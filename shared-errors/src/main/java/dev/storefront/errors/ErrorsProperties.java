package dev.storefront.errors;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the error handling shared by every service.
 * @param maxRequestBody the largest request body a REST endpoint accepts; larger ones are refused
 * with {@code 413} before they are read ({@code STOREFRONT_ERRORS_MAX_REQUEST_BODY}, default 1MB)
 */
@ConfigurationProperties("storefront.errors")
public record ErrorsProperties(@DefaultValue("1MB") DataSize maxRequestBody) {

    public ErrorsProperties {
        Assert.isTrue(maxRequestBody.toBytes() > 0,
                () -> "storefront.errors.max-request-body must be positive but was " + maxRequestBody);
    }

}
