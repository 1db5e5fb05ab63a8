package dev.storefront.errors;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.Assert;

/**
 * How many API requests a service works on at once ({@link RequestAdmission}).
 * @param maxConcurrent requests handled at once, REST and gRPC together; the others wait in arrival order
 * ({@code MAX_CONCURRENT_REQUESTS}; 0, the default of the library, admits everything at once)
 * @param maxWait how long a request may wait for its turn before it is answered {@code UNAVAILABLE} (retryable)
 */
@ConfigurationProperties("storefront.platform.admission")
public record AdmissionProperties(@DefaultValue("0") int maxConcurrent, @DefaultValue("10s") Duration maxWait) {

    public AdmissionProperties {
        Assert.isTrue(maxConcurrent >= 0,
                () -> "storefront.platform.admission.max-concurrent must not be negative but was " + maxConcurrent);
        Assert.isTrue(!maxWait.isNegative() && !maxWait.isZero(),
                () -> "storefront.platform.admission.max-wait must be positive but was " + maxWait);
    }

}
