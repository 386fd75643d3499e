package hotframe.examples;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Threads in known states for thread-dump tests. Prints "ready" once every thread is where it should be.
 * Usage: Deadlocks monitors|locks|none [extra idle threads]
 *   monitors: "monitor-a" and "monitor-b" deadlock on two synchronized monitors;
 *   locks:    "lock-a" and "lock-b" deadlock on two ReentrantLocks;
 *   none:     no deadlock, but a thread blocked on a monitor held by a sleeping thread, one in Object.wait()
 *             and one parked on a lock nobody holds for good.
 * In every mode the extra threads ("idle-N") sleep, so that big dumps can be checked.
 */
public final class Deadlocks {
    private static final Object FIRST = new Object();
    private static final Object SECOND = new Object();
    private static final ReentrantLock LOCK_ONE = new ReentrantLock();
    private static final ReentrantLock LOCK_TWO = new ReentrantLock();

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "none";
        int idle = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        for (int i = 0; i < idle; i++) daemon("idle-" + i, Deadlocks::sleepForever);
        CountDownLatch bothHoldOne = new CountDownLatch(2);
        if (mode.equals("monitors")) {
            daemon("monitor-a", () -> crossMonitors(FIRST, SECOND, bothHoldOne));
            daemon("monitor-b", () -> crossMonitors(SECOND, FIRST, bothHoldOne));
        } else if (mode.equals("locks")) {
            daemon("lock-a", () -> crossLocks(LOCK_ONE, LOCK_TWO, bothHoldOne));
            daemon("lock-b", () -> crossLocks(LOCK_TWO, LOCK_ONE, bothHoldOne));
        } else {
            CountDownLatch held = new CountDownLatch(1);
            daemon("holder", () -> { synchronized (FIRST) { held.countDown(); sleepForever(); } });
            held.await();
            daemon("blocked", () -> { synchronized (FIRST) { System.out.println("never"); } });
            daemon("waiter", () -> { synchronized (SECOND) { waitForever(SECOND); } });
            daemon("parker", () -> { LOCK_ONE.lock(); LOCK_ONE.unlock(); });
            bothHoldOne.countDown();
            bothHoldOne.countDown();
        }
        bothHoldOne.await();
        // The second lock attempts happen right after the latch; a thread dump taken a moment later sees them
        // blocked, and tests poll for that state rather than trusting this line.
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void crossMonitors(Object mine, Object theirs, CountDownLatch bothHoldOne) {
        synchronized (mine) {
            bothHoldOne.countDown();
            awaitQuietly(bothHoldOne);
            synchronized (theirs) {
                System.out.println("never");
            }
        }
    }

    private static void crossLocks(ReentrantLock mine, ReentrantLock theirs, CountDownLatch bothHoldOne) {
        mine.lock();
        bothHoldOne.countDown();
        awaitQuietly(bothHoldOne);
        theirs.lock();
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepForever() {
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitForever(Object monitor) {
        try {
            monitor.wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
