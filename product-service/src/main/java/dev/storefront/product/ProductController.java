package dev.storefront.product;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The REST adapter of the catalogue ({@code /v1/products}); every rule lives in {@link ProductService}.
 * Several products at once: {@code POST /v1/products:batchGet} with {@code {"productIds": [...]}}.
 */
@RestController
class ProductController {

    private final ProductService products;

    ProductController(ProductService products) {
        this.products = products;
    }

    @GetMapping("/v1/products")
    ProductPageResource list(@RequestParam(defaultValue = "0") int pageSize,
            @RequestParam(defaultValue = "") String pageToken, @RequestParam(defaultValue = "") String query) {
        ProductPage page = this.products.list(pageSize, pageToken, query);
        return new ProductPageResource(page.products().stream().map(ProductResource::of).toList(), page.nextPageToken());
    }

    @PostMapping("/v1/products:batchGet")
    ProductsResource batchGet(@RequestBody BatchGetRequest request) {
        return new ProductsResource(this.products.batchGet(request.productIds()).stream().map(ProductResource::of).toList());
    }

    @GetMapping("/v1/products/{id}")
    ProductResource get(@PathVariable String id) {
        return ProductResource.of(this.products.get(id));
    }

    @PostMapping("/v1/products")
    ResponseEntity<ProductResource> create(@RequestBody NewProduct request) {
        Product product = this.products.create(request);
        return ResponseEntity.created(URI.create("/v1/products/" + product.id())).body(ProductResource.of(product));
    }

    @PatchMapping("/v1/products/{id}")
    ProductResource update(@PathVariable String id, @RequestBody ProductChanges changes) {
        return ProductResource.of(this.products.update(id, changes));
    }

    @DeleteMapping("/v1/products/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        this.products.delete(id);
        return ResponseEntity.noContent().build();
    }

    /** The body of {@code POST /v1/products:batchGet}. */
    record BatchGetRequest(@Nullable List<String> productIds) {
    }

    /** A product as JSON. */
    record ProductResource(String id, String sku, String name, String description, long priceCents, String currency,
            int stock, Instant createdAt, Instant updatedAt) {

        static ProductResource of(Product product) {
            return new ProductResource(product.id().toString(), product.sku(), product.name(), product.description(),
                    product.priceCents(), product.currency(), product.stock(), product.createdAt(), product.updatedAt());
        }

    }

    /** Several products as JSON, in the order asked for. */
    record ProductsResource(List<ProductResource> products) {
    }

    /** One page of products as JSON. */
    record ProductPageResource(List<ProductResource> products, @Nullable String nextPageToken) {
    }

}
