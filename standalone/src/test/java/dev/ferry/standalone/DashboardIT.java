package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.client.CreateOptions;
import dev.ferry.client.InstanceStatus;
import dev.ferry.client.WorkflowInstance;
import dev.ferry.client.Workflows;
import dev.ferry.examples.Examples;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless browser against a running stack: sign in, navigate, trigger an
 * instance and watch it complete on the timeline, pause and resume one with confirmation, see an
 * error, and follow bulk jobs (terminate all, a workflow's deletion) to their end. Screenshots are
 * written to {@code target/dashboard/}.
 */
class DashboardIT {
  private static DevStack stack;
  private static Workflows workflows;
  private static ChromeDriver browser;
  private static WebDriverWait wait;

  @BeforeAll
  static void start() throws Exception {
    stack = TestStacks.start(Files.createTempDirectory("ferry-dashboard-it"), Examples.registry());
    workflows =
        Workflows.connect(stack.gatewayUrl() + "/client/v4/accounts/acct", stack.token("acct"));
    browser = HeadlessChromium.start();
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    browser.get(stack.gatewayUrl() + "/");
    signIn("acct", stack.token("acct"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("workflows")));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    stack.close();
  }

  @BeforeEach
  void home() {
    browser.get(stack.gatewayUrl() + "/#/");
  }

  private static void signIn(String account, String token) {
    WebElement field =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-account")));
    field.clear();
    field.sendKeys(account);
    browser.findElement(By.id("login-token")).sendKeys(token);
    browser.findElement(By.id("login-submit")).click();
  }

  private static void open(String fragment) {
    browser.get(stack.gatewayUrl() + "/" + fragment);
  }

  /** The status badge's value, read in one script (the page redraws it every second). */
  private static String status() {
    return (String)
        browser.executeScript(
            "const b = document.querySelector('#status .badge'); return b && b.dataset.status;");
  }

  private static void awaitStatus(String want) {
    wait.until(d -> want.equals(status()));
  }

  private static void act(String action) {
    browser.findElement(By.cssSelector("#actions button[data-action='" + action + "']")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
  }

  private static void awaitClient(WorkflowInstance instance, InstanceStatus.Status want) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> instance.status().status() == want);
  }

  @Test
  void shouldListTheWorkflowsWithTheirInstanceCountsAndOpenOne() throws Exception {
    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("#workflows tr[data-workflow='three-steps']")));
    HeadlessChromium.screenshot(browser, "workflows");

    browser.findElement(By.cssSelector("#workflows tr[data-workflow='sleepy'] a")).click();

    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("trigger-submit")));
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("sleepy");
    assertThat(browser.getCurrentUrl()).endsWith("#/w/sleepy");
  }

  @Test
  void shouldTriggerAnInstanceAndWatchItCompleteOnTheTimeline() throws Exception {
    open("#/w/three-steps");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("trigger-submit")));
    browser.findElement(By.id("trigger-id")).sendKeys("dash-1");
    WebElement params = browser.findElement(By.id("trigger-params"));
    params.clear();
    params.sendKeys("{\"value\": 4}");

    browser.findElement(By.id("trigger-submit")).click();

    wait.until(ExpectedConditions.urlContains("#/w/three-steps/i/dash-1"));
    awaitStatus("complete");
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#timeline rect.bar.ok"), 3));
    assertThat(browser.findElement(By.id("output")).getText()).contains("\"value\": 9");
    assertThat(browser.findElements(By.cssSelector("#step-list tbody tr"))).hasSize(3);
    HeadlessChromium.screenshot(browser, "instance-complete");
    open("#/w/three-steps");
    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("#instances tr[data-instance='dash-1']")));
  }

  @Test
  void shouldPauseAndResumeAnInstanceOnlyOnceConfirmed() throws Exception {
    WorkflowInstance sleepy =
        workflows
            .workflow("sleepy")
            .create(CreateOptions.withId("dash-sleepy").params(Map.of("sleepSeconds", 600)));
    awaitClient(sleepy, InstanceStatus.Status.WAITING);
    open("#/w/sleepy/i/dash-sleepy");
    awaitStatus("waiting");

    act("pause");
    browser.findElement(By.id("confirm-no")).click(); // cancelled: nothing happens
    assertThat(sleepy.status().status()).isEqualTo(InstanceStatus.Status.WAITING);
    act("pause");
    browser.findElement(By.id("confirm-yes")).click();
    awaitStatus("paused");
    HeadlessChromium.screenshot(browser, "instance-paused");
    act("resume");
    browser.findElement(By.id("confirm-yes")).click();
    awaitStatus("waiting");

    assertThat(browser.findElements(By.cssSelector("#timeline rect.bar.sleep"))).hasSize(1);
    act("terminate");
    browser.findElement(By.id("confirm-yes")).click();
    awaitStatus("terminated");
  }

  @Test
  void shouldShowAnInstancesErrorAndItsFailedAttempts() throws Exception {
    awaitClient(
        workflows.workflow("refusing").create(CreateOptions.withId("dash-refused")),
        InstanceStatus.Status.ERRORED);
    awaitClient(
        workflows.workflow("flaky").create(CreateOptions.withId("dash-flaky")),
        InstanceStatus.Status.COMPLETE);

    open("#/w/refusing/i/dash-refused");
    awaitStatus("errored");
    assertThat(browser.findElement(By.id("instance-error")).getText()).contains("InvalidOrder");
    assertThat(browser.findElements(By.cssSelector("#timeline rect.bar.bad"))).isNotEmpty();
    HeadlessChromium.screenshot(browser, "instance-errored");

    open("#/w/flaky/i/dash-flaky");
    awaitStatus("complete");
    // Two failed attempts, each followed by its retry delay, then the one that succeeded.
    assertThat(browser.findElements(By.cssSelector("#timeline rect.bar.bad"))).hasSize(2);
    assertThat(browser.findElements(By.cssSelector("#timeline line.delay"))).hasSize(2);
    assertThat(browser.findElements(By.cssSelector("#timeline rect.bar.ok"))).hasSize(1);
    HeadlessChromium.screenshot(browser, "instance-retries");
  }

  /** The status badge of the job row that matches {@code selector}, read in one script. */
  private static String jobStatus(String selector) {
    return (String)
        browser.executeScript(
            "const b = document.querySelector(arguments[0] + ' .badge');"
                + " return b && b.dataset.status;",
            selector);
  }

  @Test
  void shouldTerminateAllWaitingInstancesAndShowTheJobsProgressToTheEnd() throws Exception {
    WorkflowInstance first =
        workflows
            .workflow("approval")
            .create(CreateOptions.withId("dash-all-1").params(Map.of("request", "pen")));
    WorkflowInstance second =
        workflows
            .workflow("approval")
            .create(CreateOptions.withId("dash-all-2").params(Map.of("request", "ink")));
    awaitClient(first, InstanceStatus.Status.WAITING);
    awaitClient(second, InstanceStatus.Status.WAITING);
    open("#/w/approval");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("terminate-all")));
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("terminate-status")))
        .selectByValue("waiting");

    browser.findElement(By.id("terminate-all")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
    assertThat(browser.findElement(By.id("confirm-text")).getText())
        .contains("every waiting instance of approval");
    browser.findElement(By.id("confirm-yes")).click();

    wait.until(d -> "complete".equals(jobStatus("#workflow-jobs tr[data-job]")));
    assertThat(browser.findElement(By.cssSelector("#workflow-jobs [data-progress]")).getText())
        .isEqualTo("2 of 2");
    HeadlessChromium.screenshot(browser, "terminate-all-job");
    awaitClient(first, InstanceStatus.Status.TERMINATED);
    awaitClient(second, InstanceStatus.Status.TERMINATED);
  }

  @Test
  void shouldDeleteAWorkflowOnceConfirmedAndFollowItsJobOnTheJobsPage() throws Exception {
    awaitClient(
        workflows
            .workflow("fan-out")
            .create(CreateOptions.withId("dash-fan").params(Map.of("base", 1))),
        InstanceStatus.Status.COMPLETE);
    open("#/w/fan-out");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("delete-workflow")));

    browser.findElement(By.id("delete-workflow")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
    browser.findElement(By.id("confirm-yes")).click();

    wait.until(ExpectedConditions.urlContains("#/jobs"));
    wait.until(d -> "complete".equals(jobStatus("#jobs tr[data-job]")));
    WebElement row = browser.findElement(By.cssSelector("#jobs tr[data-job]"));
    assertThat(row.getText()).contains("delete").contains("fan-out").contains("1 of 1");
    HeadlessChromium.screenshot(browser, "jobs");
  }

  @Test
  void shouldShowTheApiErrorWhenAnActionIsRefused() throws Exception {
    awaitClient(
        workflows
            .workflow("three-steps")
            .create(CreateOptions.withId("dash-done").params(Map.of("value", 1))),
        InstanceStatus.Status.COMPLETE);
    open("#/w/three-steps/i/dash-done");
    awaitStatus("complete");

    act("terminate");
    browser.findElement(By.id("confirm-yes")).click();

    WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
    assertThat(error.getText()).contains("code 10402").contains("HTTP 409");
    assertThat(status()).isEqualTo("complete");
  }
}
