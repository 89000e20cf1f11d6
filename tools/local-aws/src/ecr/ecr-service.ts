import { AwsError, invalidParameter } from "../aws-error.js";
import {
  imageSize,
  mediaTypeOf,
  RegistryClient,
  RegistryRejection,
  sha256Digest,
  type StoredManifest,
} from "../registry-client.js";
import {
  describeImageId,
  imageIds,
  optionalString,
  paginate,
  repositoryName,
  requiredString,
  type ImageIdentifier,
} from "./ecr-input.js";

export interface AccountContext {
  accountId: string;
  region: string;
}

interface RegistryImage extends StoredManifest {
  tags: string[];
}

interface RepositoryRecord {
  createdAt: number;
  imageTagMutability: string;
}

type Operation = (input: Record<string, unknown>) => Promise<unknown>;

/** ECR's API over a real OCI registry: every digest and tag it reports is read from the registry. */
export class EcrService {
  private readonly repositories = new Map<string, RepositoryRecord>();
  private readonly firstSeen = new Map<string, number>();
  readonly operations: Record<string, Operation> = {
    CreateRepository: (input) => this.createRepository(input),
    DescribeRepositories: (input) => this.describeRepositories(input),
    DeleteRepository: (input) => this.deleteRepository(input),
    DescribeImages: (input) => this.describeImages(input),
    ListImages: (input) => this.listImages(input),
    BatchGetImage: (input) => this.batchGetImage(input),
    PutImage: (input) => this.putImage(input),
    BatchDeleteImage: (input) => this.batchDeleteImage(input),
    GetAuthorizationToken: async () => this.authorizationToken(),
  };

  constructor(
    readonly registry: RegistryClient,
    private readonly account: AccountContext,
  ) {}

  repositoryUri(name: string): string {
    return `${this.registry.host}/${name}`;
  }

  private async createRepository(input: Record<string, unknown>): Promise<unknown> {
    const name = repositoryName(input);
    if (await this.exists(name)) {
      throw new AwsError(
        "RepositoryAlreadyExistsException",
        `The repository with name '${name}' already exists in the registry with id '${this.account.accountId}'`,
      );
    }
    const mutability = optionalString(input, "imageTagMutability") ?? "MUTABLE";
    if (mutability !== "MUTABLE" && mutability !== "IMMUTABLE") {
      throw invalidParameter(
        `Invalid parameter at 'imageTagMutability': '${mutability}' is not MUTABLE or IMMUTABLE`,
      );
    }
    this.repositories.set(name, { createdAt: Date.now() / 1000, imageTagMutability: mutability });
    return { repository: this.repositoryDescription(name) };
  }

  private async describeRepositories(input: Record<string, unknown>): Promise<unknown> {
    const requested = input.repositoryNames;
    let names: string[];
    if (Array.isArray(requested)) {
      names = requested.map((name: unknown) => repositoryName({ repositoryName: name }));
      for (const name of names) await this.requireRepository(name);
    } else {
      const known = new Set([...this.repositories.keys(), ...(await this.registry.repositories())]);
      names = [...known].sort();
    }
    const { page, next } = paginate(names, input, 100);
    return { repositories: page.map((name) => this.repositoryDescription(name)), nextToken: next };
  }

  private async deleteRepository(input: Record<string, unknown>): Promise<unknown> {
    const name = repositoryName(input);
    await this.requireRepository(name);
    const images = await this.images(name);
    if (images.length > 0 && input.force !== true) {
      throw new AwsError(
        "RepositoryNotEmptyException",
        `The repository with name '${name}' in registry with id '${this.account.accountId}' cannot be deleted because it still contains images`,
      );
    }
    for (const image of images) await this.registry.deleteManifest(name, image.digest);
    const description = this.repositoryDescription(name);
    this.repositories.delete(name);
    return { repository: description };
  }

  private async describeImages(input: Record<string, unknown>): Promise<unknown> {
    const name = repositoryName(input);
    await this.requireRepository(name);
    const ids = imageIds(input, false);
    const images = ids
      ? await Promise.all(ids.map((id) => this.requireImage(name, id)))
      : await this.images(name);
    const unique = [...new Map(images.map((image) => [image.digest, image])).values()];
    const { page, next } = paginate(unique, input, 100);
    return { imageDetails: page.map((image) => this.imageDetail(name, image)), nextToken: next };
  }

  private async listImages(input: Record<string, unknown>): Promise<unknown> {
    const name = repositoryName(input);
    await this.requireRepository(name);
    const filter = input.filter as { tagStatus?: string } | undefined;
    const images = filter?.tagStatus === "UNTAGGED" ? [] : await this.images(name);
    const ids = images.flatMap((image) =>
      image.tags.map((tag) => ({ imageDigest: image.digest, imageTag: tag })),
    );
    const { page, next } = paginate(ids, input, 100);
    return { imageIds: page, nextToken: next };
  }

  private async batchGetImage(input: Record<string, unknown>): Promise<unknown> {
    const { results: images, failures } = await this.eachRequestedImage(input, async (name, id, image) => ({
      registryId: this.account.accountId,
      repositoryName: name,
      imageId: { imageDigest: image.digest, imageTag: id.imageTag },
      imageManifest: image.body,
      imageManifestMediaType: image.mediaType,
    }));
    return { images, failures };
  }

  private async putImage(input: Record<string, unknown>): Promise<unknown> {
    const name = repositoryName(input);
    await this.requireRepository(name);
    const manifest = requiredString(input, "imageManifest");
    try {
      JSON.parse(manifest);
    } catch {
      throw invalidParameter(
        "Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'",
      );
    }
    const mediaType = optionalString(input, "imageManifestMediaType") ?? mediaTypeOf(manifest);
    const digest = sha256Digest(manifest);
    const expectedDigest = optionalString(input, "imageDigest");
    if (expectedDigest !== undefined && expectedDigest !== digest) {
      throw new AwsError(
        "ImageDigestDoesNotMatchException",
        `The imageDigest ${expectedDigest} does not match the digest of the manifest, ${digest}`,
      );
    }
    const tag = optionalString(input, "imageTag");
    if (tag !== undefined) await this.checkTagIsFree(name, tag, digest);
    await this.storeManifest(name, tag ?? digest, manifest, mediaType);
    return {
      image: {
        registryId: this.account.accountId,
        repositoryName: name,
        imageId: { imageDigest: digest, imageTag: tag },
        imageManifest: manifest,
        imageManifestMediaType: mediaType,
      },
    };
  }

  private async checkTagIsFree(name: string, tag: string, digest: string): Promise<void> {
    const current = await this.registry.manifest(name, tag);
    if (current?.digest === digest) {
      throw new AwsError(
        "ImageAlreadyExistsException",
        `Image with digest '${digest}' and tag '${tag}' already exists in the repository with name '${name}' in registry with id '${this.account.accountId}'`,
      );
    }
    if (current && this.repositories.get(name)?.imageTagMutability === "IMMUTABLE") {
      throw new AwsError(
        "ImageTagAlreadyExistsException",
        `The image tag '${tag}' already exists in the '${name}' repository and cannot be overwritten because the repository is immutable.`,
      );
    }
  }

  private async storeManifest(
    name: string,
    reference: string,
    manifest: string,
    mediaType: string,
  ): Promise<void> {
    try {
      await this.registry.putManifest(name, reference, manifest, mediaType);
    } catch (error) {
      if (!(error instanceof RegistryRejection)) throw error;
      if (error.body.includes("BLOB_UNKNOWN")) {
        throw new AwsError(
          "LayersNotFoundException",
          `Layers referenced by the manifest are not in the repository '${name}'`,
        );
      }
      if (error.body.includes("MANIFEST_UNKNOWN")) {
        throw new AwsError(
          "ReferencedImagesNotFoundException",
          `Images referenced by the manifest are not in the repository '${name}'`,
        );
      }
      throw invalidParameter(
        `Invalid parameter at 'ImageManifest': the registry rejected it: ${error.body.trim()}`,
      );
    }
  }

  private async batchDeleteImage(input: Record<string, unknown>): Promise<unknown> {
    const { results: deleted, failures } = await this.eachRequestedImage(input, async (name, id, image) => {
      // The registry deletes manifests, not tags: deleting one tag re-tags what must survive.
      const survivingTags =
        id.imageDigest === undefined ? image.tags.filter((tag) => tag !== id.imageTag) : [];
      await this.registry.deleteManifest(name, image.digest);
      for (const tag of survivingTags)
        await this.registry.putManifest(name, tag, image.body, image.mediaType);
      return { imageDigest: image.digest, imageTag: id.imageTag };
    });
    return { imageIds: deleted, failures };
  }

  /** A batch call's `imageIds`, in order: `action` for each image found, an ECR failure for the others. */
  private async eachRequestedImage<T>(
    input: Record<string, unknown>,
    action: (name: string, id: ImageIdentifier, image: RegistryImage) => Promise<T>,
  ): Promise<{ results: T[]; failures: unknown[] }> {
    const name = repositoryName(input);
    await this.requireRepository(name);
    const results: T[] = [];
    const failures: unknown[] = [];
    for (const id of imageIds(input, true) ?? []) {
      const image = await this.findImage(name, id);
      if (typeof image === "string")
        failures.push({ imageId: id, failureCode: image, failureReason: failureReason(image) });
      else results.push(await action(name, id, image));
    }
    return { results, failures };
  }

  private authorizationToken(): unknown {
    const token = Buffer.from(`AWS:local-${crypto.randomUUID()}`).toString("base64");
    return {
      authorizationData: [
        {
          authorizationToken: token,
          expiresAt: Date.now() / 1000 + 12 * 3600,
          proxyEndpoint: this.registry.baseUrl.replace(/\/$/, ""),
        },
      ],
    };
  }

  private async exists(name: string): Promise<boolean> {
    return this.repositories.has(name) || (await this.registry.tags(name)) !== undefined;
  }

  private async requireRepository(name: string): Promise<void> {
    if (!(await this.exists(name))) {
      throw new AwsError(
        "RepositoryNotFoundException",
        `The repository with name '${name}' does not exist in the registry with id '${this.account.accountId}'`,
      );
    }
  }

  /** All tagged images of a repository, grouped by digest. */
  private async images(name: string): Promise<RegistryImage[]> {
    const tags = (await this.registry.tags(name)) ?? [];
    const manifests = await Promise.all(
      tags.map(async (tag) => ({ tag, manifest: await this.registry.manifest(name, tag) })),
    );
    const byDigest = new Map<string, RegistryImage>();
    for (const { tag, manifest } of manifests) {
      if (!manifest) continue;
      const image = byDigest.get(manifest.digest) ?? { ...manifest, tags: [] };
      image.tags.push(tag);
      byDigest.set(manifest.digest, image);
    }
    return [...byDigest.values()];
  }

  /** The image an identifier names, or the ECR failure code explaining why there is none. */
  private async findImage(name: string, id: ImageIdentifier): Promise<RegistryImage | string> {
    const manifest = await this.registry.manifest(name, id.imageDigest ?? id.imageTag ?? "");
    if (!manifest) return "ImageNotFound";
    const tags = (await this.images(name)).find((image) => image.digest === manifest.digest)?.tags ?? [];
    if (id.imageDigest !== undefined && id.imageTag !== undefined && !tags.includes(id.imageTag)) {
      return "ImageTagDoesNotMatchDigest";
    }
    return { ...manifest, tags };
  }

  private async requireImage(name: string, id: ImageIdentifier): Promise<RegistryImage> {
    const image = await this.findImage(name, id);
    if (typeof image === "string") {
      throw new AwsError(
        "ImageNotFoundException",
        `The image with imageId ${describeImageId(id)} does not exist within the repository with name '${name}' in the registry with id '${this.account.accountId}'`,
      );
    }
    return image;
  }

  private imageDetail(name: string, image: RegistryImage): unknown {
    if (!this.firstSeen.has(image.digest)) this.firstSeen.set(image.digest, Date.now() / 1000);
    return {
      registryId: this.account.accountId,
      repositoryName: name,
      imageDigest: image.digest,
      imageTags: image.tags.length > 0 ? [...image.tags].sort() : undefined,
      imageSizeInBytes: imageSize(image.body),
      imagePushedAt: this.firstSeen.get(image.digest),
      imageManifestMediaType: image.mediaType,
      artifactMediaType: artifactMediaType(image.body),
    };
  }

  private repositoryDescription(name: string): unknown {
    const record = this.repositories.get(name);
    return {
      repositoryArn: `arn:aws:ecr:${this.account.region}:${this.account.accountId}:repository/${name}`,
      registryId: this.account.accountId,
      repositoryName: name,
      repositoryUri: this.repositoryUri(name),
      createdAt: record?.createdAt ?? 0,
      imageTagMutability: record?.imageTagMutability ?? "MUTABLE",
      imageScanningConfiguration: { scanOnPush: false },
      encryptionConfiguration: { encryptionType: "AES256" },
    };
  }
}

function failureReason(code: string): string {
  return code === "ImageNotFound"
    ? "Requested image not found"
    : "Requested image tag does not match the digest";
}

function artifactMediaType(manifest: string): string | undefined {
  const parsed = JSON.parse(manifest) as { config?: { mediaType?: string } };
  return parsed.config?.mediaType;
}
