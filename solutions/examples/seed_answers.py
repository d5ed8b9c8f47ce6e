
# ---------------------------------------------------------------------------------------------
# One real student's short answers (AI6126, 2023), appended to the reference functions by the
# manifest's 'seed' example: later assignments override the reference's strings.
# ---------------------------------------------------------------------------------------------
Q1_I = (
    "In the Fully Convolutional Network, the main issue was the memory space and computational "
    "cost due to how it works. With a number of 3x3 convolutional layers, the receptive field "
    "size is $1+2n$. For an image size of 400 x 400 pixels, in a network with 200 3x3 "
    "convolutional layers, there needs to be $200 \\times 400 \\times 400 \\times 4 = "
    "122\\text{MB}$ of memory space per block per image. With 100 blocks and batches of 20 "
    "images, it requires approximately 238GB of memory space. Using downsampling would reduce "
    "the number of parameters and memory space requirements, and upsampling is performed to "
    "restore the original resolution."
)

Q1_III = (
    "Dilated convolution provides a larger field of view while maintaining the same feature map "
    "output size. By stacking several convolutions of different dilation values, it is possible "
    "to get finer segmentation feature maps as they contain information of different sizes of "
    "sub-regions of the image."
)

Q2 = (
    "VQ VAE utilizes vector quantization, which is the use of a vector which is quantized from "
    "an input image in order to get the latent representation, whereas in VAE, the latent "
    "representation is generated from a continuous probability distribution, such as Gaussian."
)

Q3 = (
    "GANs consists of a generator network and a discriminator network. The generator attempts "
    "to make realistic images based on random noise, and the discriminator attempts to "
    "differentiate the realistic but fake images produced by the generator from the real sample "
    "images. As training progresses, the generator develops better images to 'fool' the "
    "discriminator while the discriminator improves its detection to determine whether the "
    "input image is real or fake. This training process becomes a minimax game where the "
    "generator attempts to minimize the discriminator's detection capability while the "
    "discriminator attempts to maximise its detection to differentiate the real sample images "
    "from the fake."
)
