import h5wasm from 'h5wasm/node';

export type H5Module = Awaited<typeof h5wasm.ready>;

let ready: Promise<H5Module> | undefined;

/** Loads the wasm module once and makes HDF5 errors throw, so failures surface as exceptions, not console noise. */
export function loadH5(): Promise<H5Module> {
  ready ??= h5wasm.ready.then((module) => {
    module.activate_throwing_error_handler();
    return module;
  });
  return ready;
}

export { h5wasm };
