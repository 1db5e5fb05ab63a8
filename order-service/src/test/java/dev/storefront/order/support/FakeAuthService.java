package dev.storefront.order.support;

import java.util.concurrent.atomic.AtomicReference;

import dev.storefront.api.auth.v1.AuthServiceGrpc;
import dev.storefront.api.auth.v1.IssueServiceTokenRequest;
import dev.storefront.api.auth.v1.ServiceToken;
import io.grpc.stub.StreamObserver;

/**
 * Plays auth-service's {@code IssueServiceToken} for order-service: answers a token with the service role
 * signed by this run's test issuer, and remembers the last one it issued.
 */
public final class FakeAuthService extends FakeServer {

    private final AtomicReference<String> lastIssued = new AtomicReference<>("");

    FakeAuthService() {
        super("auth-service");
        start(new AuthServiceGrpc.AuthServiceImplBase() {
            @Override
            public void issueServiceToken(IssueServiceTokenRequest request, StreamObserver<ServiceToken> responses) {
                record("IssueServiceToken", request);
                String token = RunInfrastructure.tokens().token(request.getClientId(), "service");
                FakeAuthService.this.lastIssued.set(token);
                responses.onNext(ServiceToken.newBuilder().setAccessToken(token).setTokenType("Bearer").setExpiresIn(900).build());
                responses.onCompleted();
            }
        });
    }

    /** The last service token issued, as a bearer header value. */
    public String bearer() {
        return "Bearer " + this.lastIssued.get();
    }

}
