package io.micrometer.datadog;

import java.util.concurrent.ThreadFactory;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.ipc.http.HttpSender;

/** Stand-in, see {@link DatadogConfig}: its only use in PerfTest is behind {@code --metrics-datadog}. */
public abstract class DatadogMeterRegistry extends MeterRegistry {

    private DatadogMeterRegistry(Clock clock) {
        super(clock);
    }

    public static Builder builder(DatadogConfig config) {
        throw new UnsupportedOperationException("PerfTest's Datadog export is not available in the benchmark");
    }

    public static final class Builder {

        private Builder() {
        }

        public Builder clock(Clock clock) {
            throw new UnsupportedOperationException();
        }

        public Builder threadFactory(ThreadFactory threadFactory) {
            throw new UnsupportedOperationException();
        }

        public Builder httpClient(HttpSender httpClient) {
            throw new UnsupportedOperationException();
        }

        public DatadogMeterRegistry build() {
            throw new UnsupportedOperationException();
        }

    }

}
