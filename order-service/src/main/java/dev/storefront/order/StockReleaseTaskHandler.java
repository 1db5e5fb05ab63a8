package dev.storefront.order;

import java.util.UUID;

import dev.storefront.order.downstream.ProductCatalog;
import dev.storefront.order.tasks.Task;
import dev.storefront.order.tasks.TaskHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * {@code stock.release {orderId}}: gives the stock of a cancelled, failed or never-placed order back to
 * product-service, which releases each order id once (a repeat gives nothing back twice, and a release
 * before a late reservation blocks it). Queued with the status change it follows, so it runs exactly
 * when that change committed; while product-service is away it fails and is retried with growing delays.
 */
@Component
class StockReleaseTaskHandler implements TaskHandler {

    private static final Logger logger = LoggerFactory.getLogger(StockReleaseTaskHandler.class);

    private final ProductCatalog catalog;

    StockReleaseTaskHandler(ProductCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public String type() {
        return OrderTasks.RELEASE;
    }

    @Override
    public void handle(Task task) {
        UUID orderId = OrderTasks.orderId(task);
        this.catalog.release(orderId);
        logger.info("Stock of order {} released", orderId);
    }

}
