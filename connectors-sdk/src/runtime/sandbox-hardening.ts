/**
 * JavaScript that runs INSIDE every fresh sandbox context, as a script of its own, before any other
 * script (luxon, an expression program, a Code node's code) runs there. It closes the ways to take
 * memory that isolated-vm's memory limit does not see. The limit counts the V8 heap and the
 * ArrayBuffers made through isolated-vm's allocator; issue 12 found, and the probes in
 * sandbox-probes.test.ts keep checking, three kinds of memory outside both:
 *
 * - WebAssembly memory (`new WebAssembly.Memory({ initial: 16384 })`: 1 GiB, not counted) and,
 *   for the same reason (V8 reserves their pages itself), resizable ArrayBuffers and growable
 *   SharedArrayBuffers (`new ArrayBuffer(0, { maxByteLength: 2 ** 30 })` then `resize`).
 *   `WebAssembly` is deleted from the global; nothing else in a context refers to its namespace,
 *   and sandboxed code cannot make a context of its own (no `ShadowRealm`, no iframes, no vm), so
 *   no fresh set of intrinsics can bring it back. V8 adds `WebAssembly` to every new context
 *   (a snapshot cannot leave it out), hence once per context. `ArrayBuffer` and
 *   `SharedArrayBuffer` are replaced by constructors that refuse `maxByteLength`; they keep the
 *   native prototype (so `instanceof`, subclasses and typed arrays work) and the prototype's
 *   `constructor` points at the replacement, so no path from a buffer leads back to the native one.
 * - ICU's memory behind `Intl` objects: a `new Intl.DateTimeFormat()` costs ~150 bytes of heap
 *   but ~27 KB of native memory (measured with Node 24), so 1 s of an expression could hold
 *   ~400 MB the limit never saw. Each Intl object made here carries an ArrayBuffer of about its
 *   native size (a WeakMap entry, so it lives exactly as long as the object): that memory is
 *   counted, and past the limit the constructor fails like any ArrayBuffer over the limit.
 *   `toLocaleString` and friends make ICU objects too, but only for the call: garbage V8 collects.
 *
 * The script keeps what it uses in its own closure before user code exists, so later changes to
 * globals (`Reflect`, `WeakMap`, `Object.defineProperty`...) by user code cannot reach it, and
 * nothing of it is left on the global: user code can replace the constructors it sees, but that only
 * changes its own view; it cannot get back to the native ones.
 */
export const HARDENING_SOURCE = `(function () {
  'use strict';
  // Taken now, before any user code runs: later changes to these globals cannot reach the code below,
  // some of which runs later (the Intl part, on first use). Property descriptors have no prototype,
  // so a getter that user code puts on Object.prototype cannot turn them into something else.
  const { defineProperty, getOwnPropertyDescriptor, getPrototypeOf } = Object;
  const { apply, construct } = Reflect;
  const { TypeError } = globalThis;
  const iteratorKey = Symbol.iterator;
  const NativeArrayBuffer = ArrayBuffer;
  const charges = new WeakMap();
  const setCharge = WeakMap.prototype.set;
  const isObject = (value) => (typeof value === 'object' && value !== null) || typeof value === 'function';
  const hidden = (value) => ({ __proto__: null, value, writable: true, enumerable: false, configurable: true });

  delete globalThis.WebAssembly;

  // Puts 'replacement' where 'owner[name]' was: the same prototype and the same 'statics' (own
  // properties of the constructor: name, length...).
  const replace = (owner, name, replacement, statics) => {
    const native = owner[name];
    for (let i = 0; i < statics.length; i++) {
      const descriptor = getOwnPropertyDescriptor(native, statics[i]);
      if (descriptor !== undefined) defineProperty(replacement, statics[i], { __proto__: null, ...descriptor });
    }
    defineProperty(replacement, 'prototype', { __proto__: null, value: native.prototype, writable: false, enumerable: false, configurable: false });
    defineProperty(native.prototype, 'constructor', hidden(replacement));
    defineProperty(owner, name, hidden(replacement));
  };

  const buffers = ['ArrayBuffer', 'SharedArrayBuffer'];
  for (let i = 0; i < buffers.length; i++) {
    const name = buffers[i];
    const native = globalThis[name];
    if (typeof native !== 'function') continue;
    replace(globalThis, name, function (length, options) {
      if (new.target === undefined) throw new TypeError('Constructor ' + name + " requires 'new'");
      // Read once, and 'options' is never handed on: a getter cannot answer differently the second time.
      if (isObject(options) && options.maxByteLength !== undefined) {
        throw new TypeError(name + ' maxByteLength is not available in the FlowForge sandbox: its memory would escape the sandbox limit');
      }
      return construct(native, [length], new.target);
    }, ['name', 'length', 'isView', Symbol.species]);
  }

  // Makes the object with 'make' and ties 'bytes' of counted memory to it. The charge comes first,
  // so past the limit no ICU memory is taken at all.
  const charged = (bytes, make) => {
    const weight = new NativeArrayBuffer(bytes);
    const object = make();
    apply(setCharge, charges, [object, weight]);
    return object;
  };

  // [name, bytes of native (ICU) memory per object, rounded up from what one costs on Node 24,
  // may be called without 'new' (ECMA-402 still allows it for these three)].
  const intlKinds = [
    ['DateTimeFormat', 32768, true], ['NumberFormat', 2048, true], ['Collator', 2048, true],
    ['RelativeTimeFormat', 8192, false], ['Segmenter', 8192, false], ['v8BreakIterator', 8192, false],
    ['PluralRules', 4096, false], ['DisplayNames', 2048, false], ['DurationFormat', 2048, false],
    ['ListFormat', 1024, false], ['Locale', 1024, false],
  ];
  const chargeIntl = (Intl) => {
    for (let i = 0; i < intlKinds.length; i++) {
      // Indexes, not destructuring or for...of: those go through iterators user code may have replaced.
      const kind = intlKinds[i];
      const name = kind[0];
      const bytes = kind[1];
      const plainCall = kind[2];
      const native = Intl[name];
      if (typeof native !== 'function') continue;
      replace(Intl, name, function (...args) {
        if (new.target === undefined && !plainCall) throw new TypeError('Constructor Intl.' + name + " requires 'new'");
        return charged(bytes, () => construct(native, args, new.target ?? native));
      }, ['name', 'length', 'supportedLocalesOf']);
    }
    // segment() and the iterators of what it returns clone ICU break iterators (2-3 KB each). The
    // prototype of its result is reachable only through a result, so it is patched on first use.
    if (typeof Intl.Segmenter !== 'function') return;
    const segment = Intl.Segmenter.prototype.segment;
    let iterate;
    const chargedIterator = { [iteratorKey]() { return charged(4096, () => apply(iterate, this, [])); } }[iteratorKey];
    defineProperty(Intl.Segmenter.prototype, 'segment', hidden({
      segment(text) {
        const segments = charged(4096, () => apply(segment, this, [text]));
        if (iterate === undefined) {
          const prototype = getPrototypeOf(segments);
          iterate = prototype[iteratorKey];
          defineProperty(prototype, iteratorKey, hidden(chargedIterator));
        }
        return segments;
      },
    }.segment));
  };

  // Most expressions never touch Intl, and charging it costs about as much as all of the above, so
  // it happens on first use. The global property is the only way to the namespace (its
  // constructors and prototypes hang off it), so no uncharged constructor can be reached.
  const NativeIntl = globalThis.Intl;
  let intl;
  const settle = (value) => {
    try {
      defineProperty(globalThis, 'Intl', hidden(value));
    } catch {
      // A frozen global keeps the accessor; it answers the same.
    }
  };
  defineProperty(globalThis, 'Intl', {
    __proto__: null,
    get() {
      if (intl === undefined) {
        chargeIntl(NativeIntl);
        intl = NativeIntl;
        settle(intl);
      }
      return intl;
    },
    set(value) {
      settle(value);
    },
    enumerable: false,
    configurable: true,
  });
})();
`;
