package dev.storefront.errors.grpc;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.storefront.api.user.v1.GetUserRequest;
import dev.storefront.api.user.v1.User;
import dev.storefront.api.user.v1.UserServiceGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.grpc.test.autoconfigure.AutoConfigureTestGrpcTransport;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.test.context.TestConstructor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** One call at a time, a wait of at most 300 ms: what a busy service answers over gRPC. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = { "spring.application.name=user-service", "storefront.platform.admission.max-concurrent=1",
                "storefront.platform.admission.max-wait=300ms" })
@AutoConfigureTestGrpcTransport
@TestConstructor(autowireMode = TestConstructor.AutowireMode.ALL)
class GrpcAdmissionTests {

    static final CountDownLatch entered = new CountDownLatch(1);

    static final CountDownLatch release = new CountDownLatch(1);

    private final GrpcChannelFactory channels;

    GrpcAdmissionTests(GrpcChannelFactory channels) {
        this.channels = channels;
    }

    @AfterEach
    void releaseHeldCall() {
        release.countDown();
    }

    @Test
    void callBeyondTheBoundShouldWaitThenBeAnsweredBusyWithoutRunningItsHandler() throws Exception {
        UserServiceGrpc.UserServiceFutureStub futures = UserServiceGrpc
            .newFutureStub(this.channels.createChannel("user-service"));
        var held = futures.getUser(GetUserRequest.newBuilder().setUserId("hold").build());
        assertThat(entered.await(10, TimeUnit.SECONDS)).as("the first call is being handled").isTrue();

        StatusRuntimeException busy = assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> stub().getUser(GetUserRequest.newBuilder().setUserId("quick").build()))
            .actual();

        assertThat(busy.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(busy.getStatus().getDescription()).isEqualTo("The service is busy; retry shortly");
        com.google.rpc.Status details = StatusProto.fromThrowable(busy);
        assertThat(details).isNotNull();
        assertThat(details.getDetailsList()).anySatisfy((any) -> assertThat(any.is(ErrorInfo.class)).isTrue())
            .anySatisfy((any) -> assertThat(any.is(RetryInfo.class)).isTrue());
        assertThat(HoldingUserService.quickCalls).as("the refused call's handler never ran").isZero();

        release.countDown();

        assertThat(held.get(10, TimeUnit.SECONDS).getId()).isEqualTo("hold");
        assertThat(stub().getUser(GetUserRequest.newBuilder().setUserId("quick").build()).getId())
            .as("the answered call let the next one in")
            .isEqualTo("quick");
    }

    private UserServiceGrpc.UserServiceBlockingStub stub() {
        return UserServiceGrpc.newBlockingStub(this.channels.createChannel("user-service"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class TestApplication {

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        HoldingUserService holdingUserService() {
            return new HoldingUserService();
        }

    }

    static class HoldingUserService extends UserServiceGrpc.UserServiceImplBase {

        static volatile int quickCalls;

        @Override
        public void getUser(GetUserRequest request, StreamObserver<User> responseObserver) {
            if ("hold".equals(request.getUserId())) {
                entered.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
            else {
                quickCalls++;
            }
            responseObserver.onNext(User.newBuilder().setId(request.getUserId()).build());
            responseObserver.onCompleted();
        }

    }

}
