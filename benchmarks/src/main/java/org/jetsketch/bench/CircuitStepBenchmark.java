package org.jetsketch.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jetsketch.circuits.Mlp;
import org.jetsketch.circuits.Mlp_Circuit;
import org.jetsketch.circuits.Sample;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.JetTrainer;
import org.jetsketch.train.Schedule;
import org.jetsketch.train.Trainer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step of the generated MLP circuit (16 inputs, 32 tanh hidden units, 4 classes,
 * softmax cross-entropy, Adam; mini-batches of 8): ordinary, and with jets of degree k along one
 * complex direction. Compare the jet/ordinary ratio with the arithmetic floor
 * (k+1)(k+2)/2 complex multiply-adds = 4·(k+1)(k+2)/2 real ones per real multiply-add.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar CircuitStepBenchmark -f 1 -wi 5 -i 5</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CircuitStepBenchmark {
    static final int N = 64;
    static final int STEPS = 8;

    /** 0 = ordinary training; k ≥ 1 = jets of degree k. */
    @Param({"0", "1", "3", "6"})
    public int degree;

    private Mlp_Circuit circuit;
    private Trainer<Sample> trainer;
    private JetTrainer<Sample> jetTrainer;
    private double[] initial;
    private double[] re;
    private double[] im;

    @Setup(Level.Trial)
    public void setUp() {
        Random r = new Random(1);
        List<Sample> data = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            double[] x = new double[16];
            for (int j = 0; j < x.length; j++) x[j] = r.nextGaussian();
            data.add(new Sample(x, r.nextInt(4)));
        }
        circuit = new Mlp_Circuit(new Mlp(16, 32, 4, 3));
        Schedule schedule = Schedule.miniBatches(N, N / STEPS, 1, 2); // STEPS steps of 8 examples
        initial = circuit.initialParameters();
        re = new double[N];
        im = new double[N];
        for (int i = 0; i < N; i++) {
            re[i] = r.nextGaussian() / Math.sqrt(2 * N);
            im[i] = r.nextGaussian() / Math.sqrt(2 * N);
        }
        if (degree == 0) trainer = new Trainer<>(circuit, Dataset.of(data), schedule);
        else jetTrainer = new JetTrainer<>(circuit, Dataset.of(data), schedule, degree, 1);
    }

    /** A whole run of STEPS steps; divide by STEPS for the time of one step. */
    @Benchmark
    public double[] train() {
        return degree == 0 ? trainer.train(initial, null) : jetTrainer.train(initial, null, re, im);
    }
}
