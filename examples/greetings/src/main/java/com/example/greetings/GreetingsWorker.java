package com.example.greetings;

import dev.ferry.worker.WorkerConfig;
import dev.ferry.worker.WorkerRuntime;
import dev.ferry.worker.WorkflowRegistry;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Hosts the greetings workflows in this process (Ferry embedded). Configuration comes from
 * FERRY_* environment variables, e.g. FERRY_KAFKA_BOOTSTRAP_SERVERS and FERRY_WORKER_ACCOUNTS;
 * the defaults point at a `ferry dev` on this machine.
 */
public final class GreetingsWorker {
  private GreetingsWorker() {}

  public static void main(String[] args) throws InterruptedException {
    WorkerRuntime worker =
        WorkerRuntime.start(
            WorkerConfig.fromEnv(Map.of(WorkerConfig.GROUP_ID, "greetings")),
            new WorkflowRegistry().register("greet", Greet.class));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  worker.close();
                  stopped.countDown();
                }));
    System.out.println("greetings worker running in group " + worker.group() + "; Ctrl-C stops it");
    stopped.await();
  }
}
