import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3Config } from '../config';
import { checkedKey, contentTypeOf } from './file-keys';
import type { FileStorage } from './file-storage';

/**
 * Files in an S3 bucket (or anything that speaks S3: MinIO, R2, s3rver in the tests). Credentials
 * come from the AWS SDK's usual chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, a role).
 * Download links are presigned GETs that expire after FILE_URL_TTL_SECONDS.
 */
export function createS3FileStorage(s3: S3Config, urlTtlSeconds: number): FileStorage {
  const client = new S3Client({
    region: s3.region,
    endpoint: s3.endpoint ?? undefined,
    forcePathStyle: s3.forcePathStyle,
    // Checksums only where S3 demands them: S3-compatible stores do not all accept the newer headers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const objectKey = (key: string) => `${s3.prefix}${checkedKey(key)}`;
  return {
    kind: 's3',
    async put(key, body) {
      await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: objectKey(key), Body: body, ContentType: contentTypeOf(key) }));
    },
    async read(key) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: objectKey(key) }));
        return Buffer.from(await object.Body!.transformToByteArray());
      } catch (error) {
        if (error instanceof NoSuchKey) return null;
        throw error;
      }
    },
    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: objectKey(key) }));
    },
    async downloadUrl(key, now = new Date()) {
      return getSignedUrl(client, new GetObjectCommand({ Bucket: s3.bucket, Key: objectKey(key) }), {
        expiresIn: urlTtlSeconds,
        signingDate: now,
      });
    },
  };
}
