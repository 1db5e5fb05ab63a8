package io.micrometer.datadog;

/**
 * Stand-in for Micrometer's Datadog registry, which this machine's Maven mirror does not serve: RabbitMQ's
 * PerfTest refers to it in code that runs only with {@code --metrics-datadog}, which the benchmark never passes,
 * but the JVM must still find the types to load PerfTest. Not a Datadog integration: nothing here works.
 */
public interface DatadogConfig {

}
