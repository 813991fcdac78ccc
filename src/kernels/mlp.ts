// assembly/mlp.ts: the fused ReLU MLP kernels. layersPtr: L + 1 i32 widths; labels are i32.
export const mlpKernels = {
  /** Bytes of workspace for this net and batch (f64). */
  mlp_work_bytes: (layersPtr: number, L: number, batch: number): number => 0,
  /** Returns the summed loss; writes the error count (f64) to outPtr. */
  mlp_forward_loss_f32: (paramsPtr: number, layersPtr: number, L: number, bias: number, xPtr: number, yPtr: number, batch: number, loss: number, workPtr: number, outPtr: number): number => 0,
  mlp_forward_loss_f32_scalar: (paramsPtr: number, layersPtr: number, L: number, bias: number, xPtr: number, yPtr: number, batch: number, loss: number, workPtr: number, outPtr: number): number => 0,
  /** Writes the mean gradient; returns the mean loss. */
  mlp_grad_f32: (gradPtr: number, paramsPtr: number, layersPtr: number, L: number, bias: number, xPtr: number, yPtr: number, batch: number, loss: number, workPtr: number): number => 0,
  mlp_grad_f32_scalar: (gradPtr: number, paramsPtr: number, layersPtr: number, L: number, bias: number, xPtr: number, yPtr: number, batch: number, loss: number, workPtr: number): number => 0,
  /** One SGD(+momentum) step; returns the mean loss before it. */
  mlp_sgd_step_f32: (paramsPtr: number, velPtr: number, layersPtr: number, L: number, bias: number, xPtr: number, yPtr: number, batch: number, loss: number, lr: number, momentum: number, workPtr: number): number => 0,
  mlp_sgd_step_f32_scalar: (paramsPtr: number, velPtr: number, layersPtr: number, L: number, bias: number, xPtr: number, yPtr: number, batch: number, loss: number, lr: number, momentum: number, workPtr: number): number => 0,
  mlp_init_f32: (paramsPtr: number, layersPtr: number, L: number, bias: number, scheme: number, a: number, seed: number, stream: number): void => {},
  /** Returns the stream words used. */
  mlp_shuffle_u32: (idxPtr: number, n: number, seed: number, stream: number, offset: number): number => 0,
  mlp_gather_rows_f32: (dstX: number, dstY: number, srcX: number, srcY: number, idxPtr: number, count: number, d: number): void => {},
};
