"use client";

import Image from "next/image";
import { useEffect, useId, useRef, useState, type Dispatch, type DragEvent, type SetStateAction } from "react";
import { z } from "zod";
import { MAX_ALT_LENGTH, MAX_PRODUCT_IMAGES } from "@/lib/admin/catalog-rules";
import { IMAGE_ACCEPT, IMAGE_ERRORS, MAX_IMAGE_BYTES } from "@/lib/images/rules";

/** An image in the editor: what a save sends (blob id and alt text) and what its thumbnail needs. */
export type EditorImage = { blobId: string; sha256: string; alt: string; width: number; height: number };

type Props = {
  images: EditorImage[];
  setImages: Dispatch<SetStateAction<EditorImage[]>>;
  /** The last save's field errors: "images", "images.<i>" and "images.<i>.alt". */
  errors: Record<string, string>;
  /** A viewer sees the images and their alt text, and nothing that changes them. */
  readOnly: boolean;
  /** Told when uploads start and when the last queued one has finished (the form holds its save until then). */
  onUploadingChange: (uploading: boolean) => void;
};

/** What POST /admin/catalog/images answers (app/admin/catalog/images/route.ts). */
const uploadAnswer = z.union([
  z.object({ id: z.string(), sha256: z.string(), width: z.number(), height: z.number() }),
  z.object({ code: z.string(), error: z.string() }),
]);

type Message = { text: string; refused?: string };
type Uploaded = { ok: true; image: EditorImage } | { ok: false; code: string; error: string };

const button = "rounded-lg border border-stone-300 px-2 py-1 text-sm disabled:opacity-40";

/**
 * The product's images in the order the shop shows them (the first one in lists), each with its alt text.
 * Files come from the picker or are dropped on the zone around it and are uploaded one at a time; the server
 * decides from their content and its refusal is shown in the status line below. Up and down buttons reorder
 * (keyboard users keep their place: the moved image's button keeps the focus). Nothing here is saved until the
 * product is: the list is part of the product form.
 */
export function ImageList({ images, setImages, errors, readOnly, onUploadingChange }: Props) {
  const [uploading, setUploading] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [messages, setMessages] = useState<Message[]>([]);
  // Ids from useId: the router keeps a page it left in the document (hidden), so fixed ids could repeat.
  const id = useId();
  // The control to focus once the list has re-rendered after a move or a removal (React moves the row's node,
  // which drops the focus). Found through refs, not ids, for the same reason.
  const controls = useRef(new Map<string, HTMLElement>());
  const focusNext = useRef<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const control = (key: string) => (element: HTMLElement | null) => {
    if (element) controls.current.set(key, element);
    else controls.current.delete(key);
  };

  useEffect(() => {
    if (!focusNext.current) return;
    const target = controls.current.get(focusNext.current) ?? fileInput.current;
    focusNext.current = null;
    target?.focus();
  }, [images]);

  // Files wait here while one is uploading: one at a time keeps the server's decoding (up to 40 megapixels) to
  // one per editor, and files chosen meanwhile join the queue instead of being lost.
  const queue = useRef<File[]>([]);
  const running = useRef(false);

  async function upload(files: File[]) {
    if (readOnly || files.length === 0) return;
    queue.current.push(...files);
    if (running.current) return;
    running.current = true;
    setUploading(true);
    onUploadingChange(true);
    const results: Message[] = [];
    const have = new Set(images.map((image) => image.blobId));
    for (let file = queue.current.shift(); file; file = queue.current.shift()) {
      const name = file.name;
      setMessages([...results, { text: `Uploading ${name}…` }]);
      if (have.size >= MAX_PRODUCT_IMAGES) {
        results.push({ text: `${name}: a product has at most ${MAX_PRODUCT_IMAGES} images.`, refused: "too_many_images" });
        continue;
      }
      // Saves sending a file the server would refuse unread; everything else the server decides.
      const outcome: Uploaded =
        file.size > MAX_IMAGE_BYTES ? { ok: false, code: "too_large", error: IMAGE_ERRORS.too_large } : await send(file);
      if (!outcome.ok) {
        results.push({ text: `${name}: ${outcome.error}`, refused: outcome.code });
      } else if (have.has(outcome.image.blobId)) {
        results.push({ text: `${name} is already in the list.` });
      } else {
        have.add(outcome.image.blobId);
        setImages((current) => [...current, outcome.image]);
        results.push({ text: `${name} added: write its alt text.` });
      }
    }
    setMessages(results);
    running.current = false;
    setUploading(false);
    onUploadingChange(false);
  }

  function move(index: number, by: -1 | 1) {
    const image = images[index]!;
    const to = index + by;
    const next = [...images];
    next.splice(index, 1);
    next.splice(to, 0, image);
    setImages(next);
    // At an end the button just pressed is disabled: the other one takes the focus.
    const atEnd = to === 0 || to === next.length - 1;
    focusNext.current = controlKey(image, atEnd ? (by < 0 ? "down" : "up") : by < 0 ? "up" : "down");
    setMessages([{ text: `Image moved to position ${to + 1} of ${next.length}.` }]);
  }

  function remove(index: number) {
    const next = images.filter((_, i) => i !== index);
    setImages(next);
    const neighbour = next[index] ?? next[index - 1];
    // The last one gone: the file picker (no control has this key) takes the focus.
    focusNext.current = neighbour ? controlKey(neighbour, "remove") : "files";
    setMessages([{ text: `Image ${index + 1} removed. It leaves the shop when you save.` }]);
  }

  function dropped(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    void upload([...event.dataTransfer.files]);
  }

  return (
    <fieldset className="space-y-2">
      <legend className="text-lg font-semibold text-stone-900">Images</legend>
      {errors.images ? <p className="text-sm text-red-700">{errors.images}</p> : null}
      {images.length === 0 ? <p className="text-sm text-stone-600">No images yet: the shop shows a placeholder.</p> : null}
      <ol aria-label="Images, in the order the shop shows them" className="space-y-3">
        {images.map((image, i) => (
          <li key={image.blobId} className="flex flex-wrap items-start gap-3 rounded-lg border border-stone-200 p-2">
            {/* A 96 px square box; object-contain keeps the picture's own proportions inside it. */}
            <Image src={image.sha256} alt="" width={96} height={96} className="size-24 shrink-0 rounded bg-stone-100 object-contain" />
            <div className="min-w-48 flex-1 space-y-1">
              <label htmlFor={`${id}-${i}-alt`} className="block text-sm font-medium text-stone-800">
                Alt text for image {i + 1}
                {i === 0 ? <span className="font-normal text-stone-600"> (the picture shown in lists)</span> : null}
              </label>
              <input
                id={`${id}-${i}-alt`}
                className="w-full rounded-lg border border-stone-300 px-2 py-1 read-only:bg-stone-100"
                value={image.alt}
                required
                maxLength={MAX_ALT_LENGTH}
                readOnly={readOnly}
                placeholder="What the picture shows, e.g. Navy tee, front"
                aria-invalid={errors[`images.${i}.alt`] || errors[`images.${i}`] ? true : undefined}
                aria-describedby={
                  [errors[`images.${i}`] && `${id}-${i}-error`, errors[`images.${i}.alt`] && `${id}-${i}-alt-error`]
                    .filter(Boolean)
                    .join(" ") || undefined
                }
                onChange={(e) => {
                  const alt = e.target.value;
                  setImages((current) => current.map((other) => (other.blobId === image.blobId ? { ...other, alt } : other)));
                }}
              />
              {errors[`images.${i}.alt`] ? (
                <p id={`${id}-${i}-alt-error`} className="text-sm text-red-700">
                  {errors[`images.${i}.alt`]}
                </p>
              ) : null}
              {errors[`images.${i}`] ? (
                <p id={`${id}-${i}-error`} className="text-sm text-red-700">
                  {errors[`images.${i}`]}
                </p>
              ) : null}
            </div>
            {readOnly ? null : (
              <div className="flex gap-1">
                <button
                  type="button"
                  ref={control(controlKey(image, "up"))}
                  className={button}
                  disabled={i === 0}
                  onClick={() => move(i, -1)}
                >
                  <span className="sr-only">Move image {i + 1} </span>Up
                </button>
                <button
                  type="button"
                  ref={control(controlKey(image, "down"))}
                  className={button}
                  disabled={i === images.length - 1}
                  onClick={() => move(i, 1)}
                >
                  <span className="sr-only">Move image {i + 1} </span>Down
                </button>
                <button type="button" ref={control(controlKey(image, "remove"))} className={button} onClick={() => remove(i)}>
                  Remove<span className="sr-only"> image {i + 1}</span>
                </button>
              </div>
            )}
          </li>
        ))}
      </ol>
      {readOnly ? null : (
        <div
          data-testid="image-drop-zone"
          onDragOver={(event) => {
            if (!event.dataTransfer.types.includes("Files")) return;
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={dropped}
          className={`space-y-2 rounded-lg border-2 border-dashed p-4 ${dragging ? "border-brand-800 bg-stone-100" : "border-stone-300"}`}
        >
          <label htmlFor={`${id}-files`} className="block text-sm font-medium text-stone-800">
            Add images
          </label>
          <p id={`${id}-files-hint`} className="text-sm text-stone-600">
            Drop files here or choose them: JPEG, PNG, WebP or AVIF, up to {MAX_IMAGE_BYTES / 1024 / 1024} MB and 40 megapixels each. Camera
            details and location are removed.
          </p>
          <input
            ref={fileInput}
            id={`${id}-files`}
            type="file"
            multiple
            accept={IMAGE_ACCEPT}
            aria-describedby={`${id}-files-hint ${id}-status`}
            className="text-sm file:mr-3 file:rounded-lg file:border file:border-stone-300 file:bg-white file:px-3 file:py-1"
            onChange={(event) => {
              const files = [...(event.target.files ?? [])];
              // Cleared so choosing the same file again is a change too.
              event.target.value = "";
              void upload(files);
            }}
          />
        </div>
      )}
      <div
        id={`${id}-status`}
        data-testid="image-upload-status"
        role="status"
        aria-live="polite"
        data-busy={uploading || undefined}
        className="space-y-1 text-sm"
      >
        {messages.map((message, i) => (
          <p key={i} data-refused={message.refused} className={message.refused ? "text-red-700" : "text-stone-700"}>
            {message.text}
          </p>
        ))}
      </div>
    </fieldset>
  );
}

function controlKey(image: EditorImage, control: "up" | "down" | "remove"): string {
  return `${image.blobId}-${control}`;
}

async function send(file: File): Promise<Uploaded> {
  const form = new FormData();
  form.set("file", file);
  try {
    const response = await fetch("/admin/catalog/images", { method: "POST", body: form });
    const answer = uploadAnswer.safeParse(await response.json().catch(() => null));
    if (!answer.success)
      return { ok: false, code: "request_failed", error: `The upload failed (HTTP ${response.status}). Please try again.` };
    const stored = answer.data;
    if ("code" in stored) return { ok: false, code: stored.code, error: stored.error };
    return { ok: true, image: { blobId: stored.id, sha256: stored.sha256, width: stored.width, height: stored.height, alt: "" } };
  } catch {
    return { ok: false, code: "request_failed", error: "The upload failed: the shop could not be reached. Please try again." };
  }
}
